-- Every revision of every penalty decision against one party as loaded. fct_penalty_revisions orders them
-- by the day their files were received, so that a build orders only the records later loads revised.
with source as (
    select * from {{ source('raw', 'penalties') }}
),

renamed as (
    select
        penalty_id,
        case_id,
        decided_on,
        region_code,
        party_type as party_type_code,
        party_name,
        credit_code,
        industry as industry_code,
        inspection_id,
        accident_id,
        violation,
        cast(fine_amount as decimal(18, 2)) as fine_amount_yuan,
        other_measures,
        status as status_code,
        _load_id as load_id,
        _file_name as file_name,
        _row_number as source_row_number,
        _loaded_at as loaded_at
    from source
)

select * from renamed
