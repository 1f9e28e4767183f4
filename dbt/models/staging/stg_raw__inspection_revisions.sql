-- Every revision of every inspection of one unit as loaded. fct_inspection_revisions orders them
-- by the day their files were received, so that a build orders only the records later loads revised.
with source as (
    select * from {{ source('raw', 'inspections') }}
),

renamed as (
    select
        inspection_id,
        inspected_on,
        region_code,
        enterprise_name,
        credit_code,
        industry as industry_code,
        method as method_code,
        cast(hazards_found as integer) as hazards_found,
        cast(coalesce(major_hazards_found, 0) as integer) as major_hazards_found,
        cast(coalesce(hazards_rectified, 0) as integer) as hazards_rectified,
        rectification_due as rectification_due_on,
        rectified_on,
        coalesce(case_filed, false) as is_case_filed,
        cast(coalesce(documents_issued, 0) as integer) as documents_issued,
        _load_id as load_id,
        _file_name as file_name,
        _row_number as source_row_number,
        _loaded_at as loaded_at
    from source
)

select * from renamed
